import { exportTokensCsv } from '@/lib/services/drivers';
import { driversCsvDownload } from '../export';

export const dynamic = 'force-dynamic';

/** Every token of the organisation as CSV, with its driver, for spreadsheets and other systems. */
export async function GET() {
  return driversCsvDownload('tokens', exportTokensCsv);
}
