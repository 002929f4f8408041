/** Users of the Wiz tenant (note authors, project owners, audit log actors). */
import { FIRST_NAMES, LAST_NAMES } from "./catalogue.js";
import { recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { fieldUnit, rowKey, streamKey } from "./seeded-random.js";
import { at, DAY, type TenantModel, type UserFacts } from "./tenant-model.js";
import type { WizRecord } from "./types.js";

export function generateUserFacts(model: TenantModel, index: number): UserFacts {
  // Walk the name grid so the first 500 users have distinct names; later ones get a number.
  const offset = streamKey(model.seed, KIND.user) % FIRST_NAMES.length;
  const first = FIRST_NAMES[(index + offset) % FIRST_NAMES.length] ?? "Alex";
  // Injective over the first 25 x 20 users, yet varied among neighbours.
  const last = LAST_NAMES[(Math.floor(index / FIRST_NAMES.length) + 3 * (index % FIRST_NAMES.length)) % LAST_NAMES.length] ?? "Smith";
  const round = Math.floor(index / (FIRST_NAMES.length * LAST_NAMES.length));
  const suffix = round === 0 ? "" : String(round + 1);
  return {
    index,
    id: recordId(model.seed, KIND.user, index),
    name: `${first} ${last}${suffix ? ` ${suffix}` : ""}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${suffix}@${model.names.domain}`,
  };
}

export function fillUserColumns(model: TenantModel): void {
  const cols = model.stores.users.cols;
  const stream = streamKey(model.seed, KIND.user);
  for (let i = 0; i < model.stores.users.size(); i += 1) cols.createdAt[i] = at(model.createdAt - 30 * DAY - fieldUnit(rowKey(stream, i), 0) * 700 * DAY);
}

/** User node: id, name, email (the fields of the User type). */
export function userRecord(facts: UserFacts): WizRecord {
  return { id: facts.id, name: facts.name, email: facts.email };
}
