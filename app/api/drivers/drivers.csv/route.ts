import { exportDriversCsv } from '@/lib/services/drivers';
import { driversCsvDownload } from '../export';

export const dynamic = 'force-dynamic';

/** Every driver of the organisation as CSV, with their groups and tokens. */
export async function GET() {
  return driversCsvDownload('drivers', exportDriversCsv);
}
