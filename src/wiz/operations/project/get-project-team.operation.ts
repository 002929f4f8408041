import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizNotFoundError } from "../../wiz-errors.js";

// Wiz has no lookup by name: projects(filterBy: {search}) and the project whose name is the one asked for.
const DOCUMENT = /* GraphQL */ `
  query GetProjectTeam($filterBy: ProjectFilters, $first: Int) {
    projects(filterBy: $filterBy, first: $first) {
      nodes {
        id name slug
        projectOwners { id name email }
        securityChampions { id name email }
      }
    }
  }
`;

type Person = { id: string; name: string | null; email: string | null };

export interface ProjectTeam {
  id: string;
  name: string;
  slug: string;
  projectOwners: Person[];
  securityChampions: Person[];
}

// Search matches substrings; enough candidates to find the exact name among similar ones.
const CANDIDATES = 100;

function notFound(name: string, candidates: readonly ProjectTeam[]): WizNotFoundError {
  const near = candidates.slice(0, 5).map((p) => p.name);
  return new WizNotFoundError(
    {
      what: `No project named ${JSON.stringify(name)} is visible to this service account${near.length > 0 ? ` (similar: ${near.join(", ")})` : ""}.`,
      cause: "a misspelt name, or a project outside the service account's scope.",
      fix: "give the project's exact name (project list shows them) in filterBy.search.",
    },
    { code: "NOT_FOUND", operationName: "project.getTeam", status: 200, retryable: false, mayHaveExecuted: false },
  );
}

export const getProjectTeamOperation = defineOperation({
  resource: "project",
  name: "getTeam",
  description: "Get a project's owners and security champions (who to notify) by its NAME in filterBy.search (required; exact name, case-insensitive).",
  input: z.strictObject({
    filterBy: z.strictObject({ search: z.string().regex(/\S/, { error: "must be the project's name" }) }, { error: 'needs filterBy.search with the project\'s name, e.g. {"filterBy": {"search": "Payments"}}' }),
  }),
  inputHints: Object.freeze({
    id: 'project getTeam looks a project up by name: write {"filterBy": {"search": "<project name>"}}',
    slug: 'project getTeam looks a project up by name: write {"filterBy": {"search": "<project name>"}}',
  }),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readProjects,
  variables: (input) => ({ filterBy: input.filterBy, first: CANDIDATES }),
  output: (data, input): ProjectTeam => {
    const candidates = (data as { projects: { nodes: ProjectTeam[] } | null }).projects?.nodes ?? [];
    const name = input.filterBy.search.trim();
    const exact = candidates.find((p) => p.name === name) ?? candidates.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (!exact) throw notFound(name, candidates);
    return exact;
  },
});
