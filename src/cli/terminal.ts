// Where the command line writes: results on stdout, notes and the progress line on stderr. On a
// terminal the progress is one line rewritten in place; otherwise (CI logs, pipes) there is none, and
// notes are plain lines. Questions for `${prompt:…}` are asked here, one at a time. No `vscode` here.
import { createInterface } from 'node:readline';
import { MAX_VARIABLE_VALUE_BYTES } from '../core/variables';

const CLEAR_LINE = '\r\x1b[2K';

export class Terminal {
  /** Whether stderr is a terminal: the progress line is drawn only there. */
  readonly interactive: boolean;
  private progress = '';
  private questions: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
    private readonly stdin: NodeJS.ReadStream = process.stdin,
  ) {
    this.interactive = !!stderr.isTTY;
    // A reader that went away (`cloudbot run … | head`) is not an error of the run.
    stdout.on('error', () => undefined);
  }

  /** Whether `${prompt:…}` can be asked: someone is at a terminal. */
  get canAsk(): boolean {
    return this.interactive && !!this.stdin.isTTY;
  }

  /** A line of results, on stdout. */
  out(line: string): void {
    this.around(() => this.stdout.write(`${line}\n`));
  }

  /** A line about what goes on, on stderr. */
  note(line: string): void {
    this.around(() => this.stderr.write(`${line}\n`));
  }

  /** The progress line's text; drawn on a terminal only, cut to its width. */
  setProgress(text: string): void {
    if (!this.interactive) return;
    const width = Math.max(20, (this.stderr.columns || 80) - 1);
    this.progress = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.stderr.write(`${CLEAR_LINE}${this.progress}`);
  }

  endProgress(): void {
    if (this.progress) this.stderr.write(CLEAR_LINE);
    this.progress = '';
  }

  /**
   * Asks on the terminal, one question at a time (files run in parallel may ask at once); the typed
   * text is not shown when `hidden`. Undefined when the input ends (Ctrl-D) or Ctrl-C is pressed, which
   * then interrupts the run like Ctrl-C anywhere else.
   */
  ask(label: string, hidden: boolean): Promise<string | undefined> {
    const asked = this.questions.then(() => {
      const progress = this.progress;
      this.endProgress();
      return (hidden ? this.askHidden(label) : this.askShown(label)).finally(() => progress && this.setProgress(progress));
    });
    this.questions = asked.catch(() => undefined);
    return asked;
  }

  private askShown(label: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const lines = createInterface({ input: this.stdin, output: this.stderr, terminal: true });
      let answered = false;
      lines.question(`${label}: `, (answer) => {
        answered = true;
        lines.close();
        resolve(answer);
      });
      lines.once('SIGINT', () => {
        lines.close();
        process.kill(process.pid, 'SIGINT');
      });
      lines.once('close', () => answered || resolve(undefined));
    });
  }

  private askHidden(label: string): Promise<string | undefined> {
    const { stdin, stderr } = this;
    stderr.write(`${label} (not shown): `);
    return new Promise((resolve) => {
      let value = '';
      const finish = (answer: string | undefined) => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        stderr.write('\n');
        resolve(answer);
      };
      const onData = (chunk: string) => {
        for (const character of chunk) {
          if (character === '\r' || character === '\n') return finish(value);
          if (character === '\u0004') return finish(value || undefined);
          // Raw mode turns Ctrl-C into a character: it interrupts as it would otherwise.
          if (character === '\u0003') {
            finish(undefined);
            process.kill(process.pid, 'SIGINT');
            return;
          }
          if (character === '\u007f' || character === '\b') value = [...value].slice(0, -1).join('');
          else if (character >= ' ' && value.length <= MAX_VARIABLE_VALUE_BYTES) value += character;
        }
      };
      stdin.setEncoding('utf8');
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
    });
  }

  private around(write: () => void): void {
    const progress = this.progress;
    this.endProgress();
    write();
    if (progress) this.setProgress(progress);
  }
}
