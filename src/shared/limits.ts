/** Limits shared by the server, the host and the renderer, so that all three refuse the same input. */
export const MESSAGE_MAX_LENGTH = 500;
/** The composer shows a counter once this many characters are typed. */
export const MESSAGE_COUNTER_FROM = 400;
export const TITLE_MAX_LENGTH = 120;
export const DESCRIPTION_MAX_LENGTH = 2000;
export const NAME_MAX_LENGTH = 60;
/** Django's default username length. */
export const USERNAME_MAX_LENGTH = 150;
export const PASSWORD_MIN_LENGTH = 8;
/** REST pagination, as DRF's PageNumberPagination with max_page_size. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Largest request body the server reads; anything larger gets 413 before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Per-user rate limit, Twitch-like: viewers vs. the host and moderators, per window. */
export const RATE_LIMIT_WINDOW_SECONDS = 30;
export const RATE_LIMIT_VIEWER = 20;
export const RATE_LIMIT_PRIVILEGED = 100;
export const SLOW_MODE_MAX_SECONDS = 3600;
/** Distinct emoji one message may carry as reactions (issue 16); a 21st is refused. */
export const REACTION_MAX_DISTINCT = 20;
/** One reaction is one emoji: a grapheme, however many code units its ZWJ sequence takes. */
export const REACTION_MAX_LENGTH = 32;
