import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';
import { Bar, Line as LineChart } from 'react-chartjs-2';
import type { LineUsage } from '../types.js';

ChartJS.register(CategoryScale, LinearScale, BarElement, LineElement, PointElement, Tooltip, Legend);

export interface UsageDay {
  day: string;
  sent: number;
  inbound: number;
  newContacts: number;
}

/**
 * Seven days ending today: persisted days, today's live counters (today is persisted only
 * at the day reset), and zero for days without a row.
 */
export function withToday(days: UsageDay[], today: LineUsage): UsageDay[] {
  const byDay = new Map(days.map((day) => [day.day, day]));
  byDay.set(today.day, { day: today.day, sent: today.sent, inbound: today.inbound, newContacts: today.newContacts });
  const end = Date.parse(`${today.day}T00:00:00Z`);
  return Array.from({ length: 7 }, (_, index) => {
    const key = new Date(end - (6 - index) * 86_400_000).toISOString().slice(0, 10);
    return byDay.get(key) ?? { day: key, sent: 0, inbound: 0, newContacts: 0 };
  });
}

export function UsageCharts({ days, maxRatio }: { days: UsageDay[]; maxRatio: number }) {
  const labels = days.map((day) => day.day);
  const ratio = days.map((day) => (day.inbound > 0 ? day.sent / day.inbound : null));
  return (
    <div className="charts" data-testid="usage-charts">
      <div className="chart">
        <Bar
          options={{
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            plugins: { title: { display: true, text: 'Outbound and inbound per day' } },
          }}
          data={{
            labels,
            datasets: [
              { label: 'outbound', data: days.map((day) => day.sent), backgroundColor: '#3b82f6' },
              { label: 'inbound', data: days.map((day) => day.inbound), backgroundColor: '#10b981' },
              { label: 'new contacts', data: days.map((day) => day.newContacts), backgroundColor: '#f59e0b' },
            ],
          }}
        />
      </div>
      <div className="chart">
        <LineChart
          options={{ responsive: true, maintainAspectRatio: false, animation: false, spanGaps: true }}
          data={{
            labels,
            datasets: [
              { label: 'outbound per inbound', data: ratio, borderColor: '#6366f1', backgroundColor: '#6366f1' },
              { label: 'limit', data: days.map(() => maxRatio), borderColor: '#ef4444', borderDash: [6, 4], pointRadius: 0 },
            ],
          }}
        />
      </div>
    </div>
  );
}
