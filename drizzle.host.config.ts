import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/host/db/schema/index.ts',
  out: './drizzle/host',
});
