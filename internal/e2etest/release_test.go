package e2etest

// Tests of what a release ships besides the binary: the bundle manifest, the
// registry entry, the changelog and the container image's configuration. They
// keep each of those in step with the code.

import (
	"bufio"
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/json"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/app"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

type manifestFile struct {
	ManifestVersion string `json:"manifest_version"`
	Name            string `json:"name"`
	DisplayName     string `json:"display_name"`
	Version         string `json:"version"`
	License         string `json:"license"`
	Icon            string `json:"icon"`
	Server          struct {
		Type       string `json:"type"`
		EntryPoint string `json:"entry_point"`
		MCPConfig  struct {
			Command           string            `json:"command"`
			Env               map[string]string `json:"env"`
			PlatformOverrides map[string]struct {
				Command string `json:"command"`
			} `json:"platform_overrides"`
		} `json:"mcp_config"`
	} `json:"server"`
	Tools []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"tools"`
	Prompts []struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Arguments   []string `json:"arguments"`
		Text        string   `json:"text"`
	} `json:"prompts"`
	Compatibility struct {
		Platforms []string `json:"platforms"`
	} `json:"compatibility"`
	UserConfig map[string]struct {
		Type      string `json:"type"`
		Title     string `json:"title"`
		Sensitive bool   `json:"sensitive"`
		Required  bool   `json:"required"`
		Default   any    `json:"default"`
	} `json:"user_config"`
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// configEnv maps every environment variable the server reads to its
// envDefault ("" when it has none).
func configEnv() map[string]string {
	m := map[string]string{}
	rt := reflect.TypeFor[app.Config]()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if name := f.Tag.Get("env"); name != "" {
			m[name] = f.Tag.Get("envDefault")
		}
	}
	return m
}

// The manifest lists exactly the tools and prompts the shipped server
// registers (the server main builds), with their titles and argument names,
// so Claude Desktop's extension page cannot drift from the server.
func TestManifestMatchesServer(t *testing.T) {
	var m manifestFile
	readJSON(t, "manifest.json", &m)
	cfg, err := app.LoadConfig(map[string]string{"INSTANTLY_DEMO": "true"})
	if err != nil {
		t.Fatal(err)
	}
	client, err := app.NewInstantlyClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := app.NewMCPServer(cfg, client, slog.New(slog.DiscardHandler))

	want := map[string]string{}
	for name, st := range s.ListTools() {
		want[name] = st.Tool.Annotations.Title
	}
	got := map[string]string{}
	for _, tl := range m.Tools {
		got[tl.Name] = tl.Description
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("manifest.json tools (name: description) = %v\nthe server registers (name: title) %v", got, want)
	}

	type prompt struct {
		Title string
		Args  []string
	}
	wantP := map[string]prompt{}
	for name, sp := range s.ListPrompts() {
		var args []string
		for _, a := range sp.Prompt.Arguments {
			args = append(args, a.Name)
		}
		wantP[name] = prompt{sp.Prompt.Title, args}
	}
	gotP := map[string]prompt{}
	for _, p := range m.Prompts {
		gotP[p.Name] = prompt{p.Description, p.Arguments}
		if strings.TrimSpace(p.Text) == "" {
			t.Errorf("prompt %s: empty text", p.Name)
		}
		for _, a := range p.Arguments {
			if !strings.Contains(p.Text, "${arguments."+a+"}") {
				t.Errorf("prompt %s: text does not use argument %s", p.Name, a)
			}
		}
	}
	if !reflect.DeepEqual(gotP, wantP) {
		t.Errorf("manifest.json prompts = %v\nthe server registers %v", gotP, wantP)
	}
}

// The rest of the manifest agrees with the code and with the layout
// scripts/bundle.sh packs: one binary per OS under server/<os>/, the key as
// a sensitive setting passed as INSTANTLY_API_KEY, a demo switch.
func TestManifestConfiguration(t *testing.T) {
	var m manifestFile
	readJSON(t, "manifest.json", &m)
	if m.Version != app.ReleaseVersion {
		t.Errorf("manifest.json version %q, app.ReleaseVersion %q", m.Version, app.ReleaseVersion)
	}
	if m.Server.Type != "binary" || m.License != "MIT" || m.Icon != "icon.png" {
		t.Errorf("server type %q, license %q, icon %q", m.Server.Type, m.License, m.Icon)
	}
	cmds := map[string]string{"darwin": m.Server.MCPConfig.Command}
	for osName, o := range m.Server.MCPConfig.PlatformOverrides {
		cmds[osName] = o.Command
	}
	for _, osName := range []string{"darwin", "win32", "linux"} {
		exe := "instantly-status-mcp"
		if osName == "win32" {
			exe += ".exe"
		}
		if want := "${__dirname}/server/" + osName + "/" + exe; cmds[osName] != want {
			t.Errorf("%s command %q, want %q (the layout of scripts/bundle.sh)", osName, cmds[osName], want)
		}
		if !slices.Contains(m.Compatibility.Platforms, osName) {
			t.Errorf("compatibility.platforms lacks %s", osName)
		}
	}
	if "${__dirname}/"+m.Server.EntryPoint != m.Server.MCPConfig.Command {
		t.Errorf("entry_point %q is not the default command %q", m.Server.EntryPoint, m.Server.MCPConfig.Command)
	}
	envs := configEnv()
	for name := range m.Server.MCPConfig.Env {
		if _, ok := envs[name]; !ok {
			t.Errorf("manifest sets %s, which the server does not read", name)
		}
	}
	if m.Server.MCPConfig.Env["INSTANTLY_API_KEY"] != "${user_config.api_key}" ||
		m.Server.MCPConfig.Env["INSTANTLY_DEMO"] != "${user_config.demo}" {
		t.Errorf("env = %v", m.Server.MCPConfig.Env)
	}
	key := m.UserConfig["api_key"]
	// Not required, so demo mode works without a key; the empty default
	// keeps the host from passing the literal "${user_config.api_key}".
	if key.Type != "string" || !key.Sensitive || key.Required || key.Default != "" {
		t.Errorf("user_config.api_key = %+v", key)
	}
	if demo := m.UserConfig["demo"]; demo.Type != "boolean" || demo.Default != false {
		t.Errorf("user_config.demo = %+v", demo)
	}
}

type serverJSON struct {
	Schema     string `json:"$schema"`
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository struct {
		URL string `json:"url"`
	} `json:"repository"`
	Packages []struct {
		RegistryType string `json:"registryType"`
		Identifier   string `json:"identifier"`
		Version      string `json:"version"`
		Transport    struct {
			Type string `json:"type"`
			URL  string `json:"url"`
		} `json:"transport"`
		EnvironmentVariables []struct {
			Name       string   `json:"name"`
			IsSecret   bool     `json:"isSecret"`
			IsRequired bool     `json:"isRequired"`
			Format     string   `json:"format"`
			Default    *string  `json:"default"`
			Choices    []string `json:"choices"`
		} `json:"environmentVariables"`
	} `json:"packages"`
}

const registrySchema = "internal/e2etest/testdata/registry/server-2025-12-11.schema.json"

func compileRegistrySchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(registrySchema)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	id := doc.(map[string]any)["$id"].(string)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateFile(sch *jsonschema.Schema, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	inst, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// server.json is valid under the registry schema it names (vendored in
// testdata). SERVER_JSON names another file to check as well: CI checks the
// one scripts/bundle.sh stamps with the bundle's hash.
func TestServerJSONSchema(t *testing.T) {
	sch := compileRegistrySchema(t)
	files := []string{"server.json"}
	if extra := os.Getenv("SERVER_JSON"); extra != "" {
		files = append(files, extra)
	}
	for _, path := range files {
		if err := validateFile(sch, path); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		var s serverJSON
		readJSON(t, path, &s)
		if s.Schema != "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json" {
			t.Errorf("%s: $schema %q is not the vendored schema's", path, s.Schema)
		}
	}
	// The validation is live: a description over 100 characters fails.
	var doc map[string]any
	readJSON(t, "server.json", &doc)
	doc["description"] = strings.Repeat("x", 101)
	b, _ := json.Marshal(doc)
	bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if sch.Validate(bad) == nil {
		t.Error("a 101-character description passed the schema")
	}
}

// server.json agrees with the code: its name comes from the module path, its
// version is app.ReleaseVersion, and every environment variable it declares is
// one the server reads, with the same default.
func TestServerJSONMatchesCode(t *testing.T) {
	var s serverJSON
	readJSON(t, "server.json", &s)
	mod := modulePath(t)
	owner, repo, ok := strings.Cut(strings.TrimPrefix(mod, "github.com/"), "/")
	if !ok || !strings.HasPrefix(mod, "github.com/") {
		t.Fatalf("module path %q", mod)
	}
	if want := "io.github." + owner + "/" + repo; s.Name != want {
		t.Errorf("name %q, want %q (from the module path)", s.Name, want)
	}
	if s.Repository.URL != "https://"+mod {
		t.Errorf("repository %q", s.Repository.URL)
	}
	if s.Version != app.ReleaseVersion {
		t.Errorf("version %q, app.ReleaseVersion %q", s.Version, app.ReleaseVersion)
	}
	envs := configEnv()
	// Values that must never be shown: the key, the access token, and Redis
	// credentials (a URL may hold a password).
	secrets := map[string]bool{"INSTANTLY_API_KEY": true, "MCP_AUTH_TOKEN": true, "REDIS_URL": true, "REDIS_PASSWORD": true}
	types := map[string]bool{}
	for _, p := range s.Packages {
		types[p.RegistryType] = true
		if p.Version != "" && p.Version != app.ReleaseVersion {
			t.Errorf("%s package version %q", p.RegistryType, p.Version)
		}
		if !strings.Contains(p.Identifier, app.ReleaseVersion) {
			t.Errorf("%s identifier %q does not name %s", p.RegistryType, p.Identifier, app.ReleaseVersion)
		}
		seen := map[string]bool{}
		for _, e := range p.EnvironmentVariables {
			seen[e.Name] = true
			def, ok := envs[e.Name]
			if !ok {
				t.Errorf("%s: %s is not read by the server", p.RegistryType, e.Name)
				continue
			}
			if e.Default != nil && *e.Default != def && !(e.Format == "boolean" && *e.Default == "false" && def == "") {
				t.Errorf("%s: %s default %q, the code's %q", p.RegistryType, e.Name, *e.Default, def)
			}
			if secret := secrets[e.Name]; e.IsSecret != secret {
				t.Errorf("%s: %s isSecret = %v", p.RegistryType, e.Name, e.IsSecret)
			}
			if e.Name == "LOG_LEVEL" {
				for _, c := range e.Choices {
					if _, err := app.LoadConfig(map[string]string{"LOG_LEVEL": c}); err != nil {
						t.Errorf("LOG_LEVEL choice %q: %v", c, err)
					}
				}
			}
		}
		if !seen["INSTANTLY_API_KEY"] {
			t.Errorf("%s package does not declare INSTANTLY_API_KEY", p.RegistryType)
		}
		switch p.RegistryType {
		case "mcpb":
			want := "https://" + mod + "/releases/download/v" + app.ReleaseVersion + "/instantly-status-mcp-" + app.ReleaseVersion + ".mcpb"
			if p.Identifier != want || p.Transport.Type != "stdio" {
				t.Errorf("mcpb package: %q over %s, want %q over stdio", p.Identifier, p.Transport.Type, want)
			}
		case "oci":
			df := readDockerfile(t)
			if df.labels["io.modelcontextprotocol.server.name"] != s.Name {
				t.Errorf("Dockerfile label io.modelcontextprotocol.server.name = %q, server.json name %q",
					df.labels["io.modelcontextprotocol.server.name"], s.Name)
			}
			u, err := url.Parse(p.Transport.URL)
			if err != nil || p.Transport.Type != "streamable-http" || df.env["MCP_TRANSPORT"] != "http" ||
				!strings.HasSuffix(df.env["MCP_ADDR"], ":"+u.Port()) || u.Path != "/mcp" {
				t.Errorf("oci transport %s %s vs the image's MCP_TRANSPORT=%s MCP_ADDR=%s",
					p.Transport.Type, p.Transport.URL, df.env["MCP_TRANSPORT"], df.env["MCP_ADDR"])
			}
		}
	}
	if !types["mcpb"] || !types["oci"] {
		t.Errorf("packages %v, want mcpb and oci", types)
	}
}

// CHANGELOG.md's latest release is app.ReleaseVersion.
func TestChangelogNamesRelease(t *testing.T) {
	b, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+[^\]]*)\] - \d{4}-\d{2}-\d{2}$`).FindSubmatch(b)
	if m == nil || string(m[1]) != app.ReleaseVersion {
		t.Errorf("latest release in CHANGELOG.md: %q, app.ReleaseVersion %q", m, app.ReleaseVersion)
	}
}

func modulePath(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(strings.TrimPrefix(line, "module "))
}

// dockerfile is what the tests need of the Dockerfile's final stage.
type dockerfile struct {
	env         map[string]string
	labels      map[string]string
	entrypoint  []string
	healthcheck []string
	expose      []string
	user        string
}

// readDockerfile reads the final stage's ENV, LABEL, ENTRYPOINT, HEALTHCHECK
// CMD, EXPOSE and USER. It knows only the forms this Dockerfile uses:
// continuation lines, key=value pairs, JSON exec form.
func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "#") || (l == "" && cur.Len() == 0) {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\") + " ")
			continue
		}
		cur.WriteString(l)
		lines = append(lines, cur.String())
		cur.Reset()
	}
	var df dockerfile
	kv := regexp.MustCompile(`([A-Za-z0-9_.]+)=("(?:[^"\\]|\\.)*"|\S+)`)
	pairs := func(s string) map[string]string {
		m := map[string]string{}
		for _, p := range kv.FindAllStringSubmatch(s, -1) {
			m[p[1]] = strings.Trim(p[2], `"`)
		}
		return m
	}
	execForm := func(s string) []string {
		var v []string
		if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &v); err != nil {
			t.Fatalf("Dockerfile: not exec form: %s", s)
		}
		return v
	}
	for _, l := range lines {
		instr, rest, _ := strings.Cut(l, " ")
		switch strings.ToUpper(instr) {
		case "FROM": // a new stage: only the last one counts
			df = dockerfile{env: map[string]string{}, labels: map[string]string{}}
		case "ENV":
			maps.Copy(df.env, pairs(rest))
		case "LABEL":
			maps.Copy(df.labels, pairs(rest))
		case "ENTRYPOINT":
			df.entrypoint = execForm(rest)
		case "HEALTHCHECK":
			_, cmd, ok := strings.Cut(rest, "CMD ")
			if !ok {
				t.Fatalf("HEALTHCHECK without CMD: %s", l)
			}
			df.healthcheck = execForm(cmd)
		case "EXPOSE":
			df.expose = strings.Fields(rest)
		case "USER":
			df.user = rest
		}
	}
	return df
}

func TestDockerfileFinalStage(t *testing.T) {
	df := readDockerfile(t)
	if df.user == "" || strings.HasPrefix(df.user, "0") || strings.HasPrefix(df.user, "root") {
		t.Errorf("USER %q: the image must not run as root", df.user)
	}
	if !slices.Equal(df.expose, []string{"8080"}) || df.env["MCP_ADDR"] != "0.0.0.0:8080" || df.env["MCP_TRANSPORT"] != "http" {
		t.Errorf("EXPOSE %v, ENV %v", df.expose, df.env)
	}
	if len(df.entrypoint) != 1 || !slices.Equal(df.healthcheck, []string{df.entrypoint[0], "healthcheck"}) {
		t.Errorf("ENTRYPOINT %v, HEALTHCHECK %v: the check must run the binary itself", df.entrypoint, df.healthcheck)
	}
	envs := configEnv()
	names := make([]string, 0, len(df.env))
	for k := range df.env {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if _, ok := envs[k]; !ok {
			t.Errorf("the image sets %s, which the server does not read", k)
		}
	}
}

// The Claude Desktop extension without a key: the server started as the
// manifest starts it (its env, the key left empty, demo off) tells the person
// where the key goes in the extension, by the titles the manifest gives its
// settings, and speaks of no environment block the person cannot see.
func TestBundleWithoutKeyNamesTheExtensionSettings(t *testing.T) {
	var m manifestFile
	readJSON(t, "manifest.json", &m)
	keyTitle, demoTitle := m.UserConfig["api_key"].Title, m.UserConfig["demo"].Title
	if keyTitle != app.ExtensionKeySetting || demoTitle != app.ExtensionDemoSwitch || m.DisplayName != app.ExtensionName {
		t.Fatalf("manifest titles %q, %q, %q; the server says %q, %q, %q", m.DisplayName, keyTitle, demoTitle,
			app.ExtensionName, app.ExtensionKeySetting, app.ExtensionDemoSwitch)
	}
	var env []string
	for name, v := range m.Server.MCPConfig.Env {
		v = strings.NewReplacer("${user_config.api_key}", "", "${user_config.demo}", "false").Replace(v)
		env = append(env, name+"="+v)
	}
	text := toolTexts(t, env, "019a0000-0000-7000-8000-000000000001")[0]
	for _, want := range []string{`"` + keyTitle + `"`, `"` + demoTitle + `"`, m.DisplayName} {
		if !strings.Contains(text, want) {
			t.Errorf("the answer lacks %s: %s", want, text)
		}
	}
	for _, bad := range []string{"env", "INSTANTLY_API_KEY", "X-Instantly-Api-Key"} {
		if strings.Contains(text, bad) {
			t.Errorf("the answer speaks of %q, which a bundle user cannot set: %s", bad, text)
		}
	}
}

// The bundle a release packs (BUNDLE_DIR: the .mcpb unpacked; .ci/run sets
// it after the GoReleaser snapshot): one binary per OS where the manifest
// points, for the CPU each runs on, macOS's a universal binary with both
// CPUs in it.
func TestUnpackedBundle(t *testing.T) {
	dir := os.Getenv("BUNDLE_DIR")
	if dir == "" {
		t.Skip("BUNDLE_DIR is not set: .ci/run sets it to the unpacked bundle of the release step")
	}
	fat, err := macho.OpenFat(filepath.Join(dir, "server/darwin/instantly-status-mcp"))
	if err != nil {
		t.Fatalf("darwin entry point: %v", err)
	}
	var cpus []string
	for _, a := range fat.Arches {
		cpus = append(cpus, a.Cpu.String())
	}
	fat.Close()
	if slices.Sort(cpus); !slices.Equal(cpus, []string{"CpuAmd64", "CpuArm64"}) {
		t.Errorf("darwin entry point holds %v, want both CPUs", cpus)
	}
	lin, err := elf.Open(filepath.Join(dir, "server/linux/instantly-status-mcp"))
	if err != nil {
		t.Fatalf("linux entry point: %v", err)
	}
	defer lin.Close()
	if lin.Machine != elf.EM_X86_64 {
		t.Errorf("linux entry point is for %v", lin.Machine)
	}
	win, err := pe.Open(filepath.Join(dir, "server/win32/instantly-status-mcp.exe"))
	if err != nil {
		t.Fatalf("win32 entry point: %v", err)
	}
	defer win.Close()
	if win.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("win32 entry point is for machine %#x", win.Machine)
	}
	var m manifestFile
	readJSON(t, filepath.Join(dir, "manifest.json"), &m)
	if !strings.Contains(m.Version, "-SNAPSHOT-") && m.Version != app.ReleaseVersion {
		t.Errorf("bundle version %q is neither a snapshot nor the release %q", m.Version, app.ReleaseVersion)
	}
	for _, f := range []string{"icon.png", "LICENSE"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// The registry entry does not require the key: demo mode (INSTANTLY_DEMO)
// runs without one, as the bundle's own key setting is optional.
func TestServerJSONKeyNotRequired(t *testing.T) {
	var s serverJSON
	readJSON(t, "server.json", &s)
	for _, p := range s.Packages {
		for _, e := range p.EnvironmentVariables {
			if e.Name == "INSTANTLY_API_KEY" && e.IsRequired {
				t.Errorf("%s package: INSTANTLY_API_KEY is marked required, though demo mode needs no key", p.RegistryType)
			}
		}
	}
}
