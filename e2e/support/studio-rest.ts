/**
 * Another CommuniConnect user, as the web app and the seed's scripts are: plain HTTP against the server's
 * seed-compatible REST API (design §4), no studio involved.
 */
export type RestUser = { token: string; id: number; first_name: string; last_name: string };

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

export async function registerRestUser(
  serverUrl: string,
  user: { email: string; password: string; first_name: string; last_name: string },
): Promise<RestUser> {
  const registered = await post(`${serverUrl}/api/auth/register/`, user);
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  const login = await post(`${serverUrl}/api/auth/login/`, { email: user.email, password: user.password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const body = (await login.json()) as { token: string; user: Omit<RestUser, 'token'> };
  return { token: body.token, ...body.user };
}

/**
 * A chat POST as CommuniConnect's web client makes it; `more` adds `type` and `reply_to` (a reaction answers
 * 200 with the message it is on, a message 201).
 */
export async function postRestChat(
  serverUrl: string,
  token: string,
  liveId: number,
  content: string,
  more: { type?: 'text' | 'emoji' | 'reaction'; reply_to?: number } = {},
) {
  const response = await post(`${serverUrl}/api/posts/live/${liveId}/chat/`, { content, ...more }, token);
  const expected = more.type === 'reaction' ? 200 : 201;
  if (response.status !== expected) throw new Error(`chat: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: number; content: string };
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

/** "Lancer un live" as the web app does it (REST), started at once when asked; returns the live's id. */
export async function createRestLive(serverUrl: string, token: string, title: string, start = true) {
  const created = await post(`${serverUrl}/api/posts/live/`, { title, description: '' }, token);
  if (created.status !== 201) throw new Error(`live: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: number };
  if (start) {
    const started = await post(`${serverUrl}/api/posts/live/${id}/start/`, {}, token);
    if (started.status !== 200) throw new Error(`start: ${started.status} ${await started.text()}`);
  }
  return id;
}
