import { useState } from 'preact/hooks';

/** Read-only text with a copy button (clipboard access needs no permission from a click). */
export function CopyText({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <div class="row">
      <code class="break" data-testid="copy-text">
        {text}
      </code>
      <button
        type="button"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setCopied('yes');
          } catch {
            setCopied('failed');
          }
        }}
      >
        {label}
      </button>
      <span role="status" class="muted">
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed — select the text and copy it' : ''}
      </span>
    </div>
  );
}
