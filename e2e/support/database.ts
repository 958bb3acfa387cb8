import pg from "pg";

/**
 * Runs one statement against the database the app under test uses (scripts/e2e.ts passes specs its
 * direct URL): for the checks a page cannot show, such as the job queue's own rows.
 */
export async function queryDatabase<Row extends pg.QueryResultRow>(sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}
