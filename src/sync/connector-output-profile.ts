import type { StoreDb } from "../store/store-database.js";
import { TransformMapRepository } from "../store/transform-map.repository.js";
import { resolveOutputProfile, type OutputProfile, type OutputSetting } from "../transform/output-profile.js";

/** A connector's output profile, with user maps read from the store (built-in maps are code). */
export function outputProfileFromStore(setting: OutputSetting, db: StoreDb): Promise<OutputProfile> {
  const maps = new TransformMapRepository(db);
  return resolveOutputProfile(setting, {
    loadUserMap: async (name) => {
      const saved = await maps.get(name);
      return saved ? (JSON.parse(saved.definition) as unknown) : undefined;
    },
  });
}
