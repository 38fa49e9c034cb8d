import { RouteLoading } from '@/components/ui/route-states';

export default function MaintenanceLoading() {
  return <RouteLoading label="Loading maintenance" />;
}
