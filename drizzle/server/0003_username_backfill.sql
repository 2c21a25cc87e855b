-- Accounts made before usernames existed get one derived from their e-mail, as register derives it
-- (src/server/domain/usernames.ts): the local part, lower-cased, only [a-z0-9._-], at most 30 characters.
-- A second account with the same local part gets "+<id>": '+' never appears in a derived name, so no clash.
UPDATE "users" AS u
SET "username" = CASE WHEN d.n = 1 THEN d.base ELSE d.base || '+' || d.id END
FROM (
  SELECT b.id, b.base, row_number() OVER (PARTITION BY b.base ORDER BY b.id) AS n
  FROM (
    SELECT id,
      coalesce(nullif(left(regexp_replace(lower(split_part(email, '@', 1)), '[^a-z0-9._-]', '', 'g'), 30), ''), 'user') AS base
    FROM "users"
    WHERE "username" IS NULL
  ) AS b
) AS d
WHERE u.id = d.id;
