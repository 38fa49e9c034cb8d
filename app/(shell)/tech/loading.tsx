import { RouteLoading } from '@/components/ui/route-states';

export default function TechLoading() {
  return <RouteLoading label="Loading your work orders" />;
}
