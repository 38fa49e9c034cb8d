import { RouteLoading } from '@/components/ui/route-states';

export default function BillingLoading() {
  return <RouteLoading label="Loading billing" />;
}
