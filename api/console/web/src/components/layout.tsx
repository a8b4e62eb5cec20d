/** The frame of every page: a left navigation (a menu button on a phone), who is signed in, and the page. */
import { useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../session';

const PAGES = [
  { to: '/', label: 'Home', end: true },
  { to: '/applications', label: 'Applications' },
  { to: '/channels', label: 'Channels' },
  { to: '/runs', label: 'Runs' },
  { to: '/try', label: 'Try an action' },
];

export function Layout() {
  const { me, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  return (
    <div className="shell">
      <header className="topbar">
        <button type="button" className="menu-button" aria-expanded={open} aria-controls="navigation" onClick={() => setOpen(!open)}>
          Menu
        </button>
        <span className="brand">Integration engine</span>
        <span className="who">
          {me?.name} <span className="muted">({me?.scopes.join(', ')})</span>
        </span>
        <button type="button" className="link-button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav id="navigation" aria-label="Main" className={open ? 'sidebar open' : 'sidebar'}>
        <ul>
          {PAGES.map((page) => (
            <li key={page.to}>
              <NavLink to={page.to} end={page.end} onClick={() => setOpen(false)}>
                {page.label}
              </NavLink>
            </li>
          ))}
        </ul>
        <p className="sidebar-foot">
          <a href="/docs" target="_blank" rel="noreferrer">
            API reference
          </a>
        </p>
      </nav>
      <main key={location.pathname} className="content">
        <Outlet />
      </main>
    </div>
  );
}
