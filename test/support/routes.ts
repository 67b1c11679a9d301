import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, Type } from '@nestjs/common';
import { ACCESS_POLICY, AccessPolicy } from '../../libs/auth/policy';

export interface RouteInfo {
  method: string;
  path: string;
  policy: AccessPolicy | undefined;
  name: string;
}

const join = (...parts: string[]) =>
  `/${parts
    .map((p) => p.replace(/^\/|\/$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/** Every route of the given controllers, read from Nest's own route metadata with its access policy. */
export function routesOf(controllers: Type[], globalPrefix = 'api/v1', excluded: string[] = ['health']): RouteInfo[] {
  return controllers.flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    const classPolicy = Reflect.getMetadata(ACCESS_POLICY, controller) as AccessPolicy | undefined;
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto)
      .filter((key) => key !== 'constructor' && Reflect.hasMetadata(PATH_METADATA, proto[key] as object))
      .map((key) => {
        const handler = proto[key] as object;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const prefix = excluded.includes(base) ? '' : globalPrefix;
        return {
          method,
          path: join(prefix, base, sub),
          policy: (Reflect.getMetadata(ACCESS_POLICY, handler) as AccessPolicy | undefined) ?? classPolicy,
          name: `${controller.name}.${key}`,
        };
      });
  });
}
