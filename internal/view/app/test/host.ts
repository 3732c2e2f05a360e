// The test host: renders the view the way an MCP Apps host does, in a
// sandboxed iframe (scripts only, an opaque origin), talks to it through the
// SDK's AppBridge, and forwards the view's tool calls to the real server
// (window.hostCallTool, wired by the test to an MCP SDK client).
import { AppBridge, PostMessageTransport, type McpUiHostContext, type McpUiStyles } from "@modelcontextprotocol/ext-apps/app-bridge";

declare global {
  interface Window {
    hostCallTool(params: unknown): Promise<any>;
    hostMessages: unknown[];
    startHost(o: { html: string; toolResult: any; theme: "light" | "dark"; variables?: Record<string, string> }): Promise<void>;
  }
}

window.hostMessages = [];

window.startHost = async ({ html, toolResult, theme, variables }) => {
  const iframe = document.createElement("iframe");
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.title = "Sending overview";
  iframe.style.cssText = "width:100%;border:0;height:400px;display:block";
  document.body.append(iframe);
  const hostContext: McpUiHostContext = {
    theme,
    locale: "en-GB",
    timeZone: "Europe/Berlin",
    platform: "web",
    displayMode: "inline",
    // A host sends a full set; this test sends two, which is enough to see
    // them taken.
    ...(variables ? { styles: { variables: variables as McpUiStyles } } : {}),
  };
  const bridge = new AppBridge(
    null,
    { name: "view-test-host", version: "1.0.0" },
    { serverTools: {}, message: { text: {} }, openLinks: {} },
    { hostContext },
  );
  bridge.oncalltool = (params) => window.hostCallTool(params);
  bridge.onmessage = async (params) => {
    window.hostMessages.push(params);
    return {};
  };
  bridge.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${Math.ceil(height)}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  // Listen before the document loads: the view says hello as it starts.
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  iframe.srcdoc = html;
  await initialized;
  await bridge.sendToolResult(toolResult);
};
