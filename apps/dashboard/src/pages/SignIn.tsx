import { useState, type FormEvent } from 'react';

export function SignIn({ onSubmit, problem }: { onSubmit: (key: string) => Promise<void>; problem: string | undefined }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await onSubmit(key.trim());
    setBusy(false);
  };
  return (
    <form className="signin" onSubmit={(event) => void submit(event)}>
      <h1>bridgefleet</h1>
      <p className="muted">Sign in with an API key: fleet:read to look, fleet:write to act. The key stays in this tab only.</p>
      <input
        name="apiKey"
        type="password"
        autoComplete="off"
        placeholder="bf_…"
        value={key}
        onChange={(event) => setKey(event.target.value)}
        aria-label="API key"
      />
      <button type="submit" disabled={busy || !key.trim()}>
        Sign in
      </button>
      {problem && (
        <p className="error" role="alert" data-testid="signin-error">
          {problem}
        </p>
      )}
    </form>
  );
}
