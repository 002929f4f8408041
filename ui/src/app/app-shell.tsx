import type { ReactNode } from "react";
import { Link, useLocation } from "./router";
import { useSession } from "./session-context";

const NAV: ReadonlyArray<{ to: string; label: string; match: RegExp }> = [
  { to: "/", label: "Integrations", match: /^\/($|integrations|connectors\/)/ },
  { to: "/connect", label: "Connect", match: /^\/connect$/ },
  { to: "/sinks", label: "Sinks", match: /^\/sinks/ },
  { to: "/runtime", label: "Runtime", match: /^\/runtime/ },
  { to: "/maps", label: "Maps", match: /^\/maps/ },
  { to: "/operations", label: "Operations", match: /^\/operations/ },
];

/** The signed-in frame: a skip link, the navigation (current page marked for screen readers), who is signed in. */
export function AppShell({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  const session = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">wizbridge</span>
        <nav aria-label="Console">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={item.match.test(path) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          Signed in as <strong>{session.name}</strong> (<span data-testid="role">{session.role}</span>){" "}
          <button type="button" onClick={session.signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main">{children}</main>
    </>
  );
}
