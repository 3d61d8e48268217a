/** Certificates of attendance to download, one button each; nothing at all when none is eligible. */
export function CertificateLinks({ links }: { links: { href: string; label: string }[] }) {
  if (links.length === 0) return null;
  return (
    <p className="links">
      {links.map((link) => (
        <a key={link.href} className="button button-secondary" href={link.href} download data-testid="certificate-link">
          {link.label}
        </a>
      ))}
    </p>
  );
}
