/** What identifies a job for the commands that act on one; the tree's job nodes carry it as `.target`. */
export interface JobTarget {
  sessionId: string;
  publicId: string;
  botId: string;
  jobId: string;
  botName?: string;
}

/** A command's argument: a tree node, which carries its target, or the target itself (tests, other extensions). */
export type TargetArg<T extends object> = T | { target: T };

export function targetOf<T extends object>(arg: TargetArg<T> | undefined): T | undefined {
  return arg && 'target' in arg ? (arg as { target: T }).target : (arg as T | undefined);
}
