/** Runs of every channel; the filters start from the URL (the home page links to failed runs of a flow). */
import { useSearchParams } from 'react-router';
import { PageTitle } from '../components/bits';
import { RunsList } from '../components/runs-list';

export function Runs() {
  const [search] = useSearchParams();
  return (
    <>
      <PageTitle>Runs</PageTitle>
      <p className="muted">Inspect a run in depth — its history, inputs and retries — through its Web UI link.</p>
      <RunsList initial={{ status: search.get('status') ?? '', flow: search.get('flow') ?? '', trigger: search.get('trigger') ?? '' }} />
    </>
  );
}
