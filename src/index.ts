// wizbridge as a library: the typed Wiz SDK. The simulator is `wizbridge/sim`.
export * from "./wiz/index.js";
