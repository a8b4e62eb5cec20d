/** Import an OpenAPI (or Swagger 2.0) document, from a file or pasted, and see what came of it: version, warnings, unsupported operations. */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api';
import { useRefresh } from '../live';
import { ErrorNotice, Notice, PageTitle } from '../components/bits';
import type { ImportResult } from '../types';

export function ImportOpenApi() {
  const refresh = useRefresh();
  const [name, setName] = useState('');
  const [document, setDocument] = useState('');
  const [strict, setStrict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const readFile = async (file: File | undefined) => {
    if (file) setDocument(await file.text());
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api<ImportResult>('POST', `/applications/import${strict ? '?strict=true' : ''}`, { document, ...(name.trim() ? { name: name.trim() } : {}) }));
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const documentIssue = error instanceof ApiError ? error.issues.find((issue) => issue.field === 'document') : undefined;

  return (
    <>
      <PageTitle>Import an OpenAPI document</PageTitle>
      <form className="stack" onSubmit={submit}>
        <label htmlFor="import-name">Name (kebab-case; empty: from the document's title)</label>
        <input id="import-name" value={name} onChange={(event) => setName(event.target.value)} placeholder="petstore" />
        <label htmlFor="import-file">From a file (JSON or YAML)</label>
        <input id="import-file" type="file" accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml" onChange={(event) => void readFile(event.target.files?.[0])} />
        <label htmlFor="import-document">Or paste it</label>
        <textarea
          id="import-document"
          rows={14}
          value={document}
          onChange={(event) => setDocument(event.target.value)}
          spellCheck={false}
          aria-invalid={!!documentIssue}
          aria-describedby={documentIssue ? 'import-document-error' : undefined}
        />
        {documentIssue && (
          <p id="import-document-error" className="field-error">
            {documentIssue.message}
          </p>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={strict} onChange={(event) => setStrict(event.target.checked)} /> Strict: refuse a document with validation faults instead of importing it with warnings
        </label>
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !document.trim()}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
      {result && <ImportReport result={result} />}
    </>
  );
}

function ImportReport({ result }: { result: ImportResult }) {
  return (
    <section aria-labelledby="import-result">
      <h2 id="import-result">Imported</h2>
      <Notice tone="good">
        <Link to={`/applications/${encodeURIComponent(result.application)}`}>{result.application}</Link>: {result.title}, {result.actions} actions,{' '}
        {result.created ? `version ${result.version} created` : `the same document as version ${result.version}`} in {result.durationMs} ms.
      </Notice>
      <IssueList title="Warnings" issues={result.warnings} />
      <IssueList title="Unsupported" issues={result.unsupported} />
    </section>
  );
}

function IssueList({ title, issues }: { title: string; issues: ImportResult['warnings'] }) {
  return (
    <>
      <h3>
        {title} ({issues.length})
      </h3>
      {issues.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="issues">
          {issues.map((issue, index) => (
            <li key={index}>
              <code>{issue.location}</code> {issue.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
