import { metricValue } from './metrics-text';

const scrape = [
  '# HELP flowstack_dead_letters_total Messages parked',
  '# TYPE flowstack_dead_letters_total counter',
  'flowstack_dead_letters_total{source="results",service="orchestrator"} 2',
  'flowstack_dead_letters_total{source="work",service="orchestrator"} 0',
  'flowstack_process_cpu_user_seconds_total 0.25',
  '',
].join('\n');

describe('metricValue', () => {
  it('finds a series by name and a subset of its labels', () => {
    expect(metricValue(scrape, 'flowstack_dead_letters_total', { source: 'results' })).toBe(2);
    expect(metricValue(scrape, 'flowstack_dead_letters_total', { source: 'work', service: 'orchestrator' })).toBe(0);
    expect(metricValue(scrape, 'flowstack_process_cpu_user_seconds_total')).toBe(0.25);
  });

  it('answers undefined for a missing series', () => {
    expect(metricValue(scrape, 'flowstack_dead_letters_total', { source: 'relay' })).toBeUndefined();
    expect(metricValue(scrape, 'flowstack_dead_letters')).toBeUndefined();
  });
});
