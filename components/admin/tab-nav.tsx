"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

// A client island only to mark the current tab (aria-current) from the browser's path.
export function TabNav({ label, tabs }: { label: string; tabs: { href: string; label: string }[] }) {
  const pathname = usePathname();
  const current = [...tabs]
    .sort((a, b) => b.href.length - a.href.length)
    .find((tab) => pathname === tab.href || pathname.startsWith(`${tab.href}/`));
  return (
    <nav aria-label={label} className="tabs">
      {tabs.map((tab) => (
        <Link key={tab.href} href={tab.href} aria-current={tab === current ? "page" : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
