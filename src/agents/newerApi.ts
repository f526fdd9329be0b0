// The few VS Code APIs for agents that are newer than the oldest VS Code the extension supports: typed
// here, from VS Code's own declarations, and looked up at run time. Where one is missing, the feature
// it serves is simply absent (an older VS Code, or an editor built on it without them).
import * as vscode from 'vscode';

export interface ToolInvocationOptions<T> {
  readonly input: T;
}

export interface PreparedToolInvocation {
  invocationMessage?: string | vscode.MarkdownString;
  confirmationMessages?: { title: string; message: string | vscode.MarkdownString };
}

/** An opaque tool result: made by {@link toolResult}. */
export type ToolResult = { readonly content: unknown[] };

export interface LanguageModelTool<T> {
  invoke(options: ToolInvocationOptions<T>, token: vscode.CancellationToken): Promise<ToolResult>;
  prepareInvocation?(options: ToolInvocationOptions<T>, token: vscode.CancellationToken): Promise<PreparedToolInvocation | undefined>;
}

/** `vscode.McpStdioServerDefinition` (1.101). */
export interface McpStdioServerDefinition {
  readonly label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  version?: string;
}

export interface McpServerDefinitionProvider {
  readonly onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): Promise<McpStdioServerDefinition[]>;
  resolveMcpServerDefinition?(server: McpStdioServerDefinition, token: vscode.CancellationToken): Promise<McpStdioServerDefinition | undefined>;
}

/** An entry of `vscode.lm.tools` (1.95). */
export interface ToolInformation {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: object | undefined;
  readonly tags: readonly string[];
}

interface NewerLm {
  /** 1.95 */
  registerTool?<T>(name: string, tool: LanguageModelTool<T>): vscode.Disposable;
  /** 1.95: every tool, ours and others' (MCP servers' included). */
  readonly tools?: readonly ToolInformation[];
  /** 1.95: how an agent calls a tool; the tests call ours so. */
  invokeTool?(name: string, options: { input: object; toolInvocationToken: undefined }, token?: vscode.CancellationToken): Thenable<ToolResult>;
  /** 1.101 */
  registerMcpServerDefinitionProvider?(id: string, provider: McpServerDefinitionProvider): vscode.Disposable;
}

interface NewerVscode {
  lm?: NewerLm;
  LanguageModelToolResult?: new (content: unknown[]) => ToolResult;
  LanguageModelTextPart?: new (value: string) => unknown;
  /** 1.106: structured data next to the text. */
  LanguageModelDataPart?: { json(value: unknown, mime?: string): unknown };
  McpStdioServerDefinition?: new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioServerDefinition;
}

const newer = vscode as unknown as NewerVscode;

/** `vscode.lm` with the newer members typed (each may be missing). */
export function languageModels(): NewerLm | undefined {
  return newer.lm;
}

/** The text of a tool result's text parts. */
export function textOf(result: ToolResult): string {
  return result.content.map((part) => (newer.LanguageModelTextPart && part instanceof newer.LanguageModelTextPart ? (part as { value: string }).value : '')).join('');
}

/** `vscode.lm.registerTool`, or undefined where the host has no language model tools. */
export function toolRegistration(): NewerLm['registerTool'] | undefined {
  const lm = newer.lm;
  return typeof lm?.registerTool === 'function' && newer.LanguageModelToolResult && newer.LanguageModelTextPart ? lm.registerTool.bind(lm) : undefined;
}

/** A tool result: the text, and the structured data where the host takes data parts. */
export function toolResult(text: string, data: unknown): ToolResult {
  const content: unknown[] = [new newer.LanguageModelTextPart!(text)];
  if (typeof newer.LanguageModelDataPart?.json === 'function') content.push(newer.LanguageModelDataPart.json(data));
  return new newer.LanguageModelToolResult!(content);
}

/** `vscode.lm.registerMcpServerDefinitionProvider` with a way to make definitions, or undefined where the host has none. */
export function mcpRegistration():
  | { register: NonNullable<NewerLm['registerMcpServerDefinitionProvider']>; definition: NonNullable<NewerVscode['McpStdioServerDefinition']> }
  | undefined {
  const lm = newer.lm;
  if (typeof lm?.registerMcpServerDefinitionProvider !== 'function' || !newer.McpStdioServerDefinition) return undefined;
  return { register: lm.registerMcpServerDefinitionProvider.bind(lm), definition: newer.McpStdioServerDefinition };
}
