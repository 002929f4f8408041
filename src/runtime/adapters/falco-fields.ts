import type { RuntimeProcess } from "../../model/runtime-alert.js";
import { distinct, intOrNull, textOrNull } from "./payload-reader.js";

/** Falco's field vocabulary (`proc.*`, `user.*`, `evt.*`, `fd.*`), which Sysdig Secure events carry too. */
export type FalcoFields = Record<string, unknown>;

/** The process an alert is about, from Falco fields; executable and ancestors are where the sources differ. */
export function falcoProcessOf(f: FalcoFields, executable: string | null, ancestors: string[]): RuntimeProcess {
  return {
    name: textOrNull(f["proc.name"]),
    pid: intOrNull(f["proc.pid"]),
    executable,
    commandLine: textOrNull(f["proc.cmdline"]),
    user: textOrNull(f["user.name"]),
    uid: intOrNull(f["user.uid"]),
    cwd: textOrNull(f["proc.cwd"]),
    parentName: textOrNull(f["proc.pname"]),
    parentPid: intOrNull(f["proc.ppid"]),
    parentCommandLine: textOrNull(f["proc.pcmdline"]),
    ancestors,
  };
}

/** What makes two firings of a rule the same detection: the syscall, the file and the program. */
export function falcoSalientOf(f: FalcoFields): string[] {
  return distinct([textOrNull(f["evt.type"]), textOrNull(f["fd.name"]), textOrNull(f["proc.exepath"]) ?? textOrNull(f["proc.name"])]);
}
