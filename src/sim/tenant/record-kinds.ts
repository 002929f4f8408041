/**
 * Stream numbers for every kind of generated thing. Part of the data format: changing a number changes
 * every id and value of that kind for every seed.
 */
export const KIND = {
  project: 1,
  cloudAccount: 2,
  kubernetesCluster: 3,
  cloudResource: 4,
  issue: 5,
  vulnerabilityFinding: 6,
  configurationFinding: 7,
  detection: 8,
  auditLogEntry: 9,
  versionControlResource: 10,
  user: 11,
  issueNote: 12,
  serviceTicket: 13,
  cloudEvent: 14,
  actor: 15,
  namespace: 16,
  containerImage: 17,
  builtinRule: 18,
  activity: 19,
  customRule: 20,
  ignoreRule: 21,
  imageLayer: 22,
  requestId: 23,
  connector: 24,
  resourceGroup: 25,
  tenantNames: 26,
  commentThread: 27,
  cloudOrganization: 28,
} as const;
