/**
 * Where the CLI writes: stdout for results, stderr for messages, so `-o json | jq` stays clean.
 * One object, so tests of pure parts can capture it.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: tables fit its width, colour may be used, prompts may be asked. */
  readonly isTty: boolean;
  readonly columns: number;
  readonly colour: boolean;
}

function colourWanted(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  // https://no-color.org: any non-empty NO_COLOR turns colour off; FORCE_COLOR turns it on.
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return isTty && env.TERM !== 'dumb';
}

export const io: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  get isTty() {
    return process.stdout.isTTY === true;
  },
  get columns() {
    return process.stdout.columns || Number(process.env.COLUMNS) || 80;
  },
  get colour() {
    return colourWanted(process.env, process.stdout.isTTY === true);
  },
};

const codes = { red: 31, green: 32, yellow: 33, blue: 34, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof codes;

/** `text` in a colour when colour is on (a TTY, no NO_COLOR), else as it is. */
export function paint(colour: Colour, text: string, enabled = io.colour): string {
  return enabled ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}
