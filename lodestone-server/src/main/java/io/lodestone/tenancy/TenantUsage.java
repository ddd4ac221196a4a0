package io.lodestone.tenancy;

import io.lodestone.engine.NamespaceMetadata;
import io.lodestone.engine.NamespaceNotFoundException;
import io.lodestone.engine.NamespaceRoot;

import java.util.List;

/**
 * What a tenant stores, read from its namespaces' current state on object storage (so it counts every server's
 * writes): namespaces, rows and logical bytes.
 */
record TenantUsage(long namespaces, long rows, long logicalBytes) {

    static TenantUsage measure(List<NamespaceRoot> roots) {
        long namespaces = 0;
        long rows = 0;
        long bytes = 0;
        for (NamespaceRoot root : roots) {
            String cursor = null;
            while (true) {
                List<String> page = root.listNamespaces(null, cursor, 1000);
                for (String name : page) {
                    try {
                        NamespaceMetadata m = root.namespace(name).metadata();
                        namespaces++;
                        rows += m.approxRowCount();
                        bytes += m.approxLogicalBytes();
                    } catch (NamespaceNotFoundException deleted) {
                        // deleted between the listing and the read
                    }
                }
                if (page.size() < 1000) break;
                cursor = page.getLast();
            }
        }
        return new TenantUsage(namespaces, rows, bytes);
    }
}
