import { provisionTestDatabase } from "./database";

/**
 * Gives the whole vitest run one fresh, migrated database and exposes it as DATABASE_URL.
 * Integration tests reset the tables they use; the database itself is thrown away at the end.
 */
export default async function setup() {
  const database = await provisionTestDatabase();
  process.env.DATABASE_URL = database.url;
  return async () => {
    await database.dispose();
  };
}
