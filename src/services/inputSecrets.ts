// The values of `${secret:NAME}` input variables, each in SecretStorage under its own key, with the list
// of their names (names are not secret, values are) kept there too so that "Manage Input Secrets" and
// completion can show them. A run that needs a secret nobody set asks for it once, in a password box.
import * as vscode from 'vscode';
import { isVariableName } from '../core/variables';

const NAMES_KEY = 'cloudbot.inputSecretNames';
const keyOf = (name: string) => `cloudbot.inputSecret.${name}`;

export class InputSecrets {
  /** Changes to the list of names, one at a time, so that two new secrets never lose each other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The names of the secrets set, sorted. */
  async names(): Promise<string[]> {
    try {
      const value: unknown = JSON.parse((await this.secrets.get(NAMES_KEY)) ?? '[]');
      return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string' && isVariableName('secret', name)).sort() : [];
    } catch {
      return [];
    }
  }

  async get(name: string): Promise<string | undefined> {
    return isVariableName('secret', name) ? this.secrets.get(keyOf(name)) : undefined;
  }

  async set(name: string, value: string): Promise<void> {
    if (!isVariableName('secret', name)) throw new Error(`Not a secret name: ${name}`);
    await this.secrets.store(keyOf(name), value);
    await this.changeNames((names) => [...new Set([...names, name])]);
  }

  async delete(name: string): Promise<void> {
    await this.secrets.delete(keyOf(name));
    await this.changeNames((names) => names.filter((other) => other !== name));
  }

  /** The secret's value, asked for (and kept) when it is not set yet; undefined when the user cancels. */
  async getOrAsk(name: string): Promise<string | undefined> {
    const known = await this.get(name);
    if (known !== undefined) return known;
    const value = await askSecretValue(name, vscode.l10n.t('The input needs the secret "{0}", which is not set yet. It is kept in VS Code\'s secret storage for the next runs.', name));
    if (value !== undefined) await this.set(name, value);
    return value;
  }

  private changeNames(update: (names: string[]) => string[]): Promise<void> {
    const next = this.queue.then(async () => this.secrets.store(NAMES_KEY, JSON.stringify(update(await this.names()))));
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** A password box for a secret's value; undefined when cancelled. */
export function askSecretValue(name: string, prompt: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Cloud BOT input secret "{0}"', name),
    prompt,
    password: true,
    ignoreFocusOut: true,
  });
}
