import { z } from 'zod';
import { loginInputSchema, refreshInputSchema, registerInputSchema } from '../../shared/wire';
import { refuse } from '../domain/refusal';
import { type AuthResult, login, logout, refreshAccess, register } from '../domain/users';
import type { Route } from './routes';
import { validate } from './validate';

const optionalText = (max: number) => z.string().trim().max(max).optional().nullable();

/**
 * CommuniConnect's sign-up form: ours plus the confirmation and its optional profile fields. The profile fields
 * are checked (a clear 400) but not kept: this server has no profile page to show them on.
 */
const communiConnectRegisterSchema = registerInputSchema
  .extend({
    password_confirm: z.string().max(200),
    phone_number: optionalText(30),
    date_of_birth: z.iso.date().optional().nullable(),
    quartier: optionalText(200),
    bio: optionalText(2000),
  })
  .superRefine((input, ctx) => {
    if (input.password !== input.password_confirm)
      ctx.addIssue({
        code: 'custom',
        path: ['password_confirm'],
        message: 'Les mots de passe ne correspondent pas.',
      });
  });

/** simplejwt's shape: `{user, tokens: {refresh, access}}`. */
const withTokens = (result: AuthResult) => ({
  user: result.user,
  tokens: { refresh: result.refresh, access: result.token },
});

/** Sign-up, sign-in, refresh and sign-out: CommuniConnect's routes, and our first ones beside them. */
export const AUTH_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/users\/register\/$/,
    anonymous: true,
    handle: async ({ env, readBody }) => {
      const { password_confirm: _, ...input } = validate(communiConnectRegisterSchema, await readBody());
      const result = await register(env, input);
      return { status: 201, body: { ...withTokens(result), message: 'Utilisateur créé avec succès' } };
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/users\/login\/$/,
    anonymous: true,
    handle: async ({ env, readBody }) => ({
      status: 200,
      body: withTokens(await login(env, validate(loginInputSchema, await readBody()))),
    }),
  },
  {
    method: 'POST',
    pattern: /^\/api\/token\/refresh\/$/,
    anonymous: true,
    handle: async ({ env, readBody }) => {
      const { refresh } = validate(refreshInputSchema, await readBody());
      return { status: 200, body: { access: (await refreshAccess(env, refresh)).token } };
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/users\/logout\/$/,
    handle: async ({ env, token }) => {
      if (!token) refuse('unauthenticated', 'Authentication credentials were not provided.');
      await logout(env, token);
      return { status: 200, body: { message: 'Déconnexion réussie' } };
    },
  },
  // Our first routes (design §4 aliases): `{token, refresh, user}`.
  {
    method: 'POST',
    pattern: /^\/api\/auth\/register\/$/,
    anonymous: true,
    handle: async ({ env, readBody }) => ({
      status: 201,
      body: await register(env, validate(registerInputSchema, await readBody())),
    }),
  },
  {
    method: 'POST',
    pattern: /^\/api\/auth\/login\/$/,
    anonymous: true,
    handle: async ({ env, readBody }) => ({
      status: 200,
      body: await login(env, validate(loginInputSchema, await readBody())),
    }),
  },
];
