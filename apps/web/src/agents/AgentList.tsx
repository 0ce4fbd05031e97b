import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { DataTable, Page } from '../common/DataTable';
import { useLoad } from '../common/use-load';

/** The workspace's agents with their provider and model; a row opens the tools linked to it. */
export function AgentList() {
  const { t } = useTranslation();
  const agents = useLoad(async () => unwrap(await api.GET('/api/v1/agents', { params: { query: { limit: 100 } } })).items, []);
  const [open, setOpen] = useState<string>();
  return (
    <Page id="agents" title={t('agents.title')}>
      <DataTable
        testId="agents-table"
        rows={agents.data}
        error={agents.error}
        empty={t('agents.empty')}
        rowKey={(a) => a.id}
        columns={[
          {
            header: 'agents.name',
            cell: (a) => (
              <button
                type="button"
                className="link"
                aria-expanded={open === a.id}
                onClick={() => setOpen(open === a.id ? undefined : a.id)}
              >
                {a.name}
              </button>
            ),
          },
          { header: 'agents.provider', cell: (a) => a.provider },
          { header: 'agents.model', cell: (a) => a.model },
          { header: 'agents.maxSteps', cell: (a) => a.maxSteps },
          { header: 'agents.costPerRun', cell: (a) => a.costPerRun },
        ]}
      />
      {open && <LinkedTools agentId={open} />}
    </Page>
  );
}

function LinkedTools({ agentId }: { agentId: string }) {
  const { t } = useTranslation();
  const tools = useLoad(
    async () => unwrap(await api.GET('/api/v1/agents/{id}/tools', { params: { path: { id: agentId } } })).items,
    [agentId],
  );
  return (
    <section aria-labelledby="linked-tools-title">
      <h2 id="linked-tools-title">{t('agents.linkedTools')}</h2>
      <DataTable
        testId="agent-tools-table"
        rows={tools.data}
        error={tools.error}
        empty={t('agents.noTools')}
        rowKey={(x) => x.id}
        columns={[
          { header: 'tools.name', cell: (x) => x.name },
          { header: 'tools.kind', cell: (x) => x.kind },
          { header: 'tools.modelName', cell: (x) => x.modelName },
        ]}
      />
    </section>
  );
}
