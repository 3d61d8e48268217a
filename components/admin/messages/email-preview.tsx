"use client";

import { useState } from "react";

export type RenderedEmail = { key: string; heading: string; subject: string; html: string };

type Props = {
  emails: RenderedEmail[];
  labels: { width: string; phone: string; desktop: string; subject: string; frame: string };
};

// A phone's width (the email layout's narrowest case, narrowed to the screen's on a phone itself) and the layout's
// 600 px column with a desktop client's margin.
const WIDTHS = { phone: "min(390px, 100%)", desktop: "720px" } as const;

/**
 * The rendered emails in sandboxed frames (no script, no same origin: the HTML is the organisers' and the page's
 * headers forbid framing a URL, hence srcdoc), at a phone's or a desktop's width.
 */
export function EmailPreview({ emails, labels }: Props) {
  // Phone first: most people read these emails on one, and it is the one width that fits every screen.
  const [width, setWidth] = useState<keyof typeof WIDTHS>("phone");
  return (
    <div className="email-preview">
      <div role="group" aria-label={labels.width} className="button-row">
        {(["phone", "desktop"] as const).map((choice) => (
          <button
            key={choice}
            type="button"
            className={choice === width ? "button" : "button button-secondary"}
            aria-pressed={choice === width}
            onClick={() => setWidth(choice)}
          >
            {labels[choice]}
          </button>
        ))}
      </div>
      {emails.map((email) => (
        <figure key={email.key} className="email-preview-frame" data-testid={`email-preview-${email.key}`}>
          <figcaption>
            <strong>{email.heading}</strong>
            <br />
            {labels.subject} <span data-testid="email-preview-subject">{email.subject}</span>
          </figcaption>
          <iframe
            sandbox=""
            srcDoc={email.html}
            title={`${labels.frame} · ${email.heading}`}
            style={{ width: WIDTHS[width] }}
          />
        </figure>
      ))}
    </div>
  );
}
