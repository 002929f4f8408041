import { errorCode } from "./jsonl-file-ops.js";

/** A file-system error in the sink's directory, told as the likely cause and what to do about it. */
export interface FsAdvice {
  /** The errno code, or "error" when there is none. */
  code: string;
  cause: string;
  fix: string;
}

export function fsAdviceFor(error: unknown, directory: string): FsAdvice {
  const code = errorCode(error) ?? "error";
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return {
        code,
        cause: `the volume holding ${directory} is full (or the user's quota is used up)`,
        fix: "free space on that volume, or set maxFiles / maxAgeDays so old rotated files are deleted; until then the events wait in the outbox and the batch is retried",
      };
    case "EACCES":
    case "EPERM":
      return { code, cause: `permission denied in ${directory}`, fix: "chown the directory to the user running wizbridge (or grant that user write access), or pick another directory" };
    case "EROFS":
      return { code, cause: `${directory} is on a read-only file system`, fix: "remount it read-write, or pick another directory" };
    case "ENOTDIR":
    case "EEXIST":
      return { code, cause: `a part of ${directory} is a file, not a directory`, fix: "point directory at a directory (or remove the file in the way)" };
    case "ENOENT":
      return { code, cause: `a part of ${directory} is missing and could not be created`, fix: "create the parent directory, or fix the path" };
    case "EIO":
      return { code, cause: `the device under ${directory} reported an I/O error`, fix: "check the disk (dmesg, SMART) before trusting files written there, or pick a directory on another device" };
    case "EMFILE":
    case "ENFILE":
      return { code, cause: "the process has too many files open", fix: "raise the open-file limit (ulimit -n, LimitNOFILE in systemd)" };
    default:
      return { code, cause: `the file system refused the operation in ${directory}`, fix: "check that the directory is on a local, writable, healthy file system" };
  }
}

/** The error's own words, without a stack. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
