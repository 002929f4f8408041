import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { wizUuid } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizNotFoundError } from "../../wiz-errors.js";

const DOCUMENT = /* GraphQL */ `
  query GetProjectTeam($id: ID, $slug: String) {
    project(id: $id, slug: $slug) {
      id name slug
      projectOwners { id name email }
      securityChampions { id name email }
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

export const getProjectTeamOperation = defineOperation({
  resource: "project",
  name: "getTeam",
  description: "Get a project's owners and security champions (who to notify), by project UUID or slug.",
  input: z
    .strictObject({ id: wizUuid("project").optional(), slug: z.string().min(1, { error: "must not be empty" }).optional() })
    .refine((given) => (given.id === undefined) !== (given.slug === undefined), { error: "needs exactly one of id or slug" }),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readProjects,
  variables: (input) => ({ id: input.id, slug: input.slug }),
  output: (data, input): ProjectTeam => {
    const project = (data as { project: ProjectTeam | null }).project;
    if (!project) {
      throw new WizNotFoundError(
        {
          what: `No project ${input.id ?? input.slug ?? ""} is visible to this service account.`,
          cause: "a wrong id or slug, or a project outside the service account's scope.",
          fix: "find the project with project list.",
        },
        { code: "NOT_FOUND", operationName: "project.getTeam", status: 200, retryable: false, mayHaveExecuted: false },
      );
    }
    return project;
  },
});
