import { useCallback, useState } from 'preact/hooks';
import { errorText } from './messaging';

/**
 * Runs one async action at a time and keeps its error text for display. `run` resolves to
 * whether the action succeeded, so callers only move on (clear a form, close a step) after success.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

export function ErrorText({ text, id }: { text: string | null; id?: string }) {
  if (!text) return null;
  return (
    <p class="error" role="alert" id={id}>
      {text}
    </p>
  );
}
