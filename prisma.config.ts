import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI (generate; migrate where its engine is available).
// The application reads DATABASE_URL through its own validated config.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bridgefleet',
  },
});
