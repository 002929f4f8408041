import type { CredentialRepository, CredentialSchema } from "../store/credential.repository.js";
import type { StoreDb } from "../store/store-database.js";

/** The credential owner of a managed connector or sink: AAD binds each sealed value to it. */
export function connectorOwner(id: string): string {
  return `connector:${id}`;
}

export function sinkOwner(id: string): string {
  return `sink:${id}`;
}

/** Every secret of an owner, opened (throws a SecretBoxError with the master-key fix when one does not open). */
export async function readOwnerSecrets(credentials: CredentialRepository, owner: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const field of await credentials.fields(owner)) {
    const value = await credentials.get(owner, field);
    if (value !== undefined) out.set(field, value);
  }
  return out;
}

/** Makes an owner's stored secrets exactly `secrets`: sets each, deletes the fields no longer present. */
export async function writeOwnerSecrets(credentials: CredentialRepository, owner: string, secrets: ReadonlyMap<string, string>, now: number): Promise<void> {
  for (const [field, value] of secrets) await credentials.set(owner, field, value, now);
  const stale = (await credentials.fields(owner)).filter((field) => !secrets.has(field));
  if (stale.length > 0) {
    // CredentialRepository deletes per owner only: write back the ones to keep.
    await credentials.deleteOwner(owner);
    for (const [field, value] of secrets) await credentials.set(owner, field, value, now);
  }
}

/** Deletes an owner's secrets even without a usable master key (a disconnect must not depend on one). */
export async function deleteOwnerSecrets(db: StoreDb, owner: string): Promise<number> {
  const result = await db.withTables<CredentialSchema>().deleteFrom("credentials").where("owner", "=", owner).executeTakeFirst();
  return Number(result.numDeletedRows);
}
