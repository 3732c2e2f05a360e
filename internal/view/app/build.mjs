// Builds ../overview.html: the view's TypeScript and CSS bundled by esbuild
// into one self-contained HTML document (no request to any origin), which
// the server embeds. Run `npm run build` here after changing src/; CI
// rebuilds it and fails when the committed file differs.
import * as esbuild from "esbuild";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "..", "overview.html");
const limit = 400 * 1024;

// The bundle would carry zod's messages in every language (about 260 KB);
// the SDK validates messages with zod, whose errors this view only logs, so
// English alone is kept. zod's compiler and its JSON Schema import are not
// used by the SDK's view side either: stubs that fail loudly if they ever
// are. And the MCP SDK's schema constants are marked pure, so those the view
// does not use are dropped.
const slim = {
  name: "slim",
  setup(b) {
    const zodDir = `${path.sep}zod${path.sep}v4${path.sep}`;
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      args.importer.includes(zodDir) ? { path: "en-only", namespace: "slim", pluginData: path.dirname(args.importer) } : undefined,
    );
    b.onResolve({ filter: /(^|\/)(compile|from-json-schema)\.js$/ }, (args) =>
      args.importer.includes(zodDir) ? { path: path.basename(args.path), namespace: "slim" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "slim" }, (args) => {
      const absent = `function absent() { throw new Error("not in this view's bundle"); }`;
      switch (args.path) {
        case "en-only":
          return { contents: `export { default as en } from "../locales/en.js";`, resolveDir: args.pluginData };
        case "compile.js":
          return {
            contents: `${absent}
export const INVALID = Symbol.for("zod.compile.invalid");
export class ZodCompileAsyncError extends Error {}
export class ZodCompileUnsupportedError extends Error {}
export const compile = absent, withParser = absent, compileFn = absent;`,
          };
        default:
          return { contents: `${absent}\nexport const fromJSONSchema = absent;` };
      }
    });
    b.onLoad({ filter: /@modelcontextprotocol[\\/](client|core)[\\/]dist[\\/].*\.mjs$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const pure = text.replace(
        /^(\s*(?:export\s+)?const\s+[A-Za-z0-9_$]+\s*=\s*)(?=(?:z|[A-Z][A-Za-z0-9_$]*)\.[A-Za-z]+\()/gm,
        "$1/* @__PURE__ */ ",
      );
      return { contents: pure, loader: "js" };
    });
  },
};

const js = await esbuild.build({
  entryPoints: [path.join(here, "src", "overview.ts")],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  charset: "utf8",
  legalComments: "none",
  write: false,
  plugins: [slim],
  logLevel: "warning",
});
const css = await esbuild.transform(await readFile(path.join(here, "src", "overview.css"), "utf8"), {
  loader: "css",
  minify: true,
  target: "chrome120",
});
const template = await readFile(path.join(here, "src", "overview.html"), "utf8");
// "</script" inside the script would end it early.
const script = js.outputFiles[0].text.replaceAll("</script", "<\\/script").trim();
const html = template.replace("/*STYLE*/", () => css.code.trim()).replace("/*SCRIPT*/", () => script);
if (Buffer.byteLength(html) > limit) {
  console.error(`overview.html is ${Buffer.byteLength(html)} bytes, over the ${limit}-byte limit`);
  process.exit(1);
}
await writeFile(out, html);
console.log(`wrote ${path.relative(process.cwd(), out)}: ${Buffer.byteLength(html)} bytes`);
