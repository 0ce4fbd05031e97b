import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useWorkspace } from '../auth/workspace';
import { DataTable, Page } from '../common/DataTable';
import { useLoad } from '../common/use-load';
import { ToolTester } from './ToolTester';

/** The workspace's registered tools: kind, the name the model sees, and description. */
export function ToolList() {
  const { t } = useTranslation();
  const { can } = useWorkspace();
  const [testing, setTesting] = useState<{ id: string; name: string; kind: string }>();
  const tools = useLoad(async () => unwrap(await api.GET('/api/v1/tools', { params: { query: { limit: 100 } } })).items, []);
  return (
    <Page id="tools" title={t('tools.title')}>
      <DataTable
        testId="tools-table"
        rows={tools.data}
        error={tools.error}
        empty={t('tools.empty')}
        rowKey={(x) => x.id}
        columns={[
          { header: 'tools.name', cell: (x) => x.name },
          { header: 'tools.kind', cell: (x) => x.kind },
          { header: 'tools.modelName', cell: (x) => x.modelName },
          { header: 'tools.description', cell: (x) => x.description ?? '' },
          ...(can('editor')
            ? [
                {
                  header: 'tools.actions',
                  cell: (x: { id: string; name: string; kind: string }) => (
                    <button type="button" onClick={() => setTesting(x)} data-testid={`test-tool-${x.name}`}>
                      {t('tools.test')}
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {testing && <ToolTester key={testing.id} tool={testing} onClose={() => setTesting(undefined)} />}
    </Page>
  );
}
