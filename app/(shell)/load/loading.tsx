import { RouteLoading } from '@/components/ui/route-states';

export default function LoadLoading() {
  return <RouteLoading label="Loading load management" />;
}
