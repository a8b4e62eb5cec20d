/**
 * Create or edit a channel with its application's own forms: name, settings and credentials in
 * one form, so the API's 400 (and 409) `issues` land on the fields they name. Editing shows each
 * stored secret as "********", which the API reads as "keep it".
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ApiError, seg, type FieldIssue } from '../api';
import { useLive, useRefresh } from '../live';
import { Choice, ErrorNotice, PageTitle } from '../components/bits';
import { combinedSchema, JsonForm } from '../components/json-form';
import type { Application, Channel, JsonSchema } from '../types';

const NAME_SCHEMA: JsonSchema = { type: 'string', title: 'Name', minLength: 1, maxLength: 200 };

export function ChannelForm() {
  const { id } = useParams();
  const editing = id !== undefined;
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const applications = useLive<Application[]>('/applications', { every: false });
  const stored = useLive<Channel>(editing ? `/channels/${seg(id)}` : null, { every: false });
  const [applicationName, setApplicationName] = useState(search.get('application') ?? '');
  const [value, setValue] = useState<Record<string, unknown>>({});
  const [enabled, setEnabled] = useState(true);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!stored.data) return;
    setApplicationName(stored.data.application);
    setValue({ name: stored.data.name, settings: stored.data.settings, credentials: stored.data.credentials });
  }, [stored.data]);

  const application = applications.data?.find((app) => app.name === applicationName);
  const schema = useMemo(
    () =>
      application &&
      combinedSchema({ name: NAME_SCHEMA, settings: { title: 'Settings', ...application.settingsSchema }, credentials: { title: 'Credentials', ...application.credentialsSchema } }, ['name']),
    [application],
  );

  const save = async (data: Record<string, unknown>) => {
    setBusy(true);
    setIssues([]);
    setError(null);
    try {
      const body = { name: data.name, settings: data.settings ?? {}, credentials: data.credentials ?? {} };
      const channel = editing ? await api<Channel>('PATCH', `/channels/${seg(id)}`, body) : await api<Channel>('POST', '/channels', { application: applicationName, ...body, enabled });
      await refresh();
      navigate(`/channels/${channel.id}`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setIssues(err.issues);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{editing ? `Edit ${stored.data?.name ?? 'channel'}` : 'New channel'}</PageTitle>
      <ErrorNotice error={applications.error ?? stored.error} />
      {!editing && (
        <div className="stack narrow">
          <Choice
            id="channel-application"
            label="Application"
            placeholder="Choose an application…"
            value={applicationName}
            options={(applications.data ?? []).map((app) => ({ value: app.name, label: `${app.title} (${app.name})` }))}
            onChange={(name) => {
              setApplicationName(name);
              setValue({ name: value.name });
              setIssues([]);
            }}
          />
          <label className="checkbox">
            <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} /> Enabled: its schedules run as soon as it is saved
          </label>
        </div>
      )}
      {editing && stored.data && (
        <p className="muted">
          Application <code>{stored.data.application}</code>. Secrets show as ******** and stay as they are unless you type a new value.
        </p>
      )}
      {schema && (!editing || stored.data) && (
        <JsonForm id="channel" schema={schema} value={value} onChange={setValue} onSubmit={save} issues={issues} disabled={busy}>
          {error !== null && issues.length === 0 && <ErrorNotice error={error} />}
          {issues.length > 0 && <p className="field-error">{error instanceof Error ? error.message : 'Some fields need a change.'}</p>}
          <div className="actions">
            <Link className="button" to={editing ? `/channels/${id}` : '/channels'}>
              Cancel
            </Link>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : editing ? 'Save' : 'Create channel'}
            </button>
          </div>
        </JsonForm>
      )}
    </>
  );
}
