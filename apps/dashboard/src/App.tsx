import { useEffect, useState } from 'react';
import { ApiError, get, storedKey, storeKey } from './api.js';
import { useHashRoute } from './hooks.js';
import { AuditPage } from './pages/AuditPage.js';
import { LinePage } from './pages/LinePage.js';
import { MessagesPage } from './pages/MessagesPage.js';
import { NodePage } from './pages/NodePage.js';
import { NodesPage } from './pages/NodesPage.js';
import { Overview } from './pages/Overview.js';
import { SignIn } from './pages/SignIn.js';
import { SessionContext } from './session.js';
import type { Session } from './types.js';

export function App() {
  const [session, setSession] = useState<Session>();
  const [problem, setProblem] = useState<string>();
  const [checking, setChecking] = useState(Boolean(storedKey()));

  const signIn = async (key: string) => {
    storeKey(key);
    try {
      setSession(await get<Session>('/v1/dashboard/session'));
      setProblem(undefined);
    } catch (error) {
      storeKey(null);
      setSession(undefined);
      setProblem(error instanceof ApiError ? error.message : `Could not reach the control plane: ${(error as Error).message}`);
    } finally {
      setChecking(false);
    }
  };

  useEffect(() => {
    const key = storedKey();
    if (key) void signIn(key);
  }, []);

  if (checking) return <p className="muted">Checking the key…</p>;
  if (!session) return <SignIn onSubmit={signIn} problem={problem} />;
  const signOut = () => {
    storeKey(null);
    setSession(undefined);
  };
  return (
    <SessionContext.Provider value={session}>
      <header className="top">
        <strong>bridgefleet</strong>
        <nav>
          <a href="#/">Lines</a>
          <a href="#/nodes">Nodes</a>
          <a href="#/messages">Messages</a>
          <a href="#/audit">Audit log</a>
        </nav>
        <span className="muted" data-testid="session">
          {session.keyName} · {session.scopes.join(', ')}
        </span>
        <button onClick={signOut}>Sign out</button>
      </header>
      <main>
        <Routes />
      </main>
    </SessionContext.Provider>
  );
}

function Routes() {
  const [page, id] = useHashRoute();
  if (page === 'lines' && id) return <LinePage id={id} />;
  if (page === 'nodes' && id) return <NodePage id={id} />;
  if (page === 'nodes') return <NodesPage />;
  if (page === 'messages') return <MessagesPage />;
  if (page === 'audit') return <AuditPage />;
  return <Overview />;
}
