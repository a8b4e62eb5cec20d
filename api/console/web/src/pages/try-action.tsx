/** Try an action: a channel, an action of its application, a form from the action's input schema, and the output or the typed error. */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, ApiError, seg, type FieldIssue } from '../api';
import { useLive } from '../live';
import { Choice, ErrorNotice, Notice, PageTitle } from '../components/bits';
import { formSchema, JsonForm } from '../components/json-form';
import type { ApplicationDetail, Channel } from '../types';

type Outcome =
  { kind: 'output'; output: unknown; workflowId: string } | { kind: 'running'; message: string; workflowId: string } | { kind: 'error'; status: number; message: string; type: string | null };

export function TryAction() {
  const [search] = useSearchParams();
  const channels = useLive<Channel[]>('/channels', { every: false });
  const [channelId, setChannelId] = useState('');
  const [actionName, setActionName] = useState(search.get('action') ?? '');
  const [input, setInput] = useState<Record<string, unknown>>({});
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const wantedApplication = search.get('application');
  const choices = (channels.data ?? []).filter((channel) => !wantedApplication || channel.application === wantedApplication);
  const channel = choices.find((candidate) => candidate.id === channelId);
  const application = useLive<ApplicationDetail>(channel ? `/applications/${encodeURIComponent(channel.application)}` : null, { every: false });
  const action = application.data?.actions.find((candidate) => candidate.name === actionName);

  const run = async (data: Record<string, unknown>) => {
    if (!channel || !action) return;
    setBusy(true);
    setIssues([]);
    setOutcome(null);
    try {
      const answer = await api<{ workflowId: string; output?: unknown; status?: string; message?: string }>('POST', `/applications/${seg(channel.application)}/actions/${seg(action.name)}/run`, {
        channelId: channel.id,
        input: data,
      });
      setOutcome(
        answer.status === 'RUNNING'
          ? { kind: 'running', message: answer.message ?? 'Still running', workflowId: answer.workflowId }
          : { kind: 'output', output: answer.output, workflowId: answer.workflowId },
      );
    } catch (err) {
      if (err instanceof ApiError) {
        // The run route names input fields `input.<field>`; the form's fields are the input's own.
        setIssues(err.issues.filter((issue) => issue.field.startsWith('input.')).map((issue) => ({ ...issue, field: issue.field.slice('input.'.length) })));
        const type = (err.body as { type?: unknown } | undefined)?.type;
        setOutcome({ kind: 'error', status: err.status, message: err.message, type: typeof type === 'string' ? type : null });
      } else setOutcome({ kind: 'error', status: 0, message: String(err), type: null });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>Try an action</PageTitle>
      <ErrorNotice error={channels.error ?? application.error} />
      {channels.data && choices.length === 0 && <p className="empty">No channel{wantedApplication ? ` of ${wantedApplication}` : ''} to run it with. Create a channel first.</p>}
      <div className="stack narrow">
        <Choice
          id="try-channel"
          label="Channel"
          placeholder="Choose a channel…"
          value={channelId}
          options={choices.map((candidate) => ({ value: candidate.id, label: `${candidate.name} (${candidate.application})` }))}
          onChange={(id) => {
            setChannelId(id);
            setOutcome(null);
          }}
        />
        {application.data && (
          <Choice
            id="try-action"
            label="Action"
            placeholder="Choose an action…"
            value={actionName}
            options={application.data.actions.map((candidate) => ({ value: candidate.name, label: candidate.name }))}
            onChange={(name) => {
              setActionName(name);
              setInput({});
              setIssues([]);
              setOutcome(null);
            }}
          />
        )}
      </div>
      {action && (
        <section aria-labelledby="try-input">
          <h2 id="try-input">Input</h2>
          <p className="muted">{action.description}</p>
          <JsonForm key={`${channelId}/${action.name}`} id="input" schema={formSchema(action.inputSchema)} value={input} onChange={setInput} onSubmit={run} issues={issues} disabled={busy}>
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Running…' : 'Run action'}
              </button>
            </div>
          </JsonForm>
        </section>
      )}
      {outcome && <OutcomeView outcome={outcome} />}
    </>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'error')
    return (
      <section aria-labelledby="try-outcome">
        <h2 id="try-outcome">Error</h2>
        <Notice tone="bad">
          {outcome.type && <strong>{outcome.type}: </strong>}
          {outcome.message} <span className="muted">(HTTP {outcome.status})</span>
        </Notice>
      </section>
    );
  return (
    <section aria-labelledby="try-outcome">
      <h2 id="try-outcome">{outcome.kind === 'output' ? 'Output' : 'Still running'}</h2>
      {outcome.kind === 'running' ? <Notice>{outcome.message}</Notice> : <pre aria-label="Action output">{JSON.stringify(outcome.output, null, 2)}</pre>}
      <p className="muted">
        Run <code>{outcome.workflowId}</code>
      </p>
    </section>
  );
}
