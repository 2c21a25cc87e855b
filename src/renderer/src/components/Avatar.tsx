import { useState } from 'react';
import type { Author } from '../../../shared/wire';
import { authorHue, initials } from '../chat/initials';

/**
 * The author's picture, or their initials on a colour of their own when there is none (or it fails to load).
 * Decorative: the name is always written next to it, so screen readers skip it.
 */
export function Avatar({ author, size = 32 }: { author: Author; size?: number }) {
  const [broken, setBroken] = useState(false);
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4) };
  if (author.profile_picture && !broken) {
    return (
      <img
        className="avatar"
        src={author.profile_picture}
        alt=""
        style={style}
        onError={() => setBroken(true)}
        referrerPolicy="no-referrer"
      />
    );
  }
  return (
    <span
      className="avatar avatar-initials"
      aria-hidden="true"
      style={{ ...style, '--avatar-hue': authorHue(author.id) } as React.CSSProperties}
    >
      {initials(author)}
    </span>
  );
}
