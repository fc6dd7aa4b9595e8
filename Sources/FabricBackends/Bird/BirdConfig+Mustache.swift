import Mustache

// Template lookups by name, without reflection: swift-mustache falls back
// to `Mirror` for other values, which dominated the build time of large
// fabrics (a lookup walks the whole context stack). Every stored property
// the template may name is listed; the golden files catch a missing one.

extension BirdConfig: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "header": self.header
        case "routerID": self.routerID
        case "prefixSets": self.prefixSets
        case "staticRoutes": self.staticRoutes
        case "kernel": self.kernel
        case "clientFunction": self.clientFunction
        case "defaultRouteFilter": self.defaultRouteFilter
        case "exportToReflectors": self.exportToReflectors
        case "exportToLeaves": self.exportToLeaves
        case "upstreamFilters": self.upstreamFilters
        case "meshFilter": self.meshFilter
        case "sessions": self.sessions
        default: nil
        }
    }
}

extension BirdPrefixSet: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": self.name
        case "comment": self.comment
        case "entries": self.entries
        default: nil
        }
    }
}

extension BirdSetFilter: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "set": self.set
        default: nil
        }
    }
}

extension BirdNamedSetFilter: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": self.name
        case "comment": self.comment
        case "set": self.set
        default: nil
        }
    }
}

extension BirdMeshFilter: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "set": self.set
        case "defaultRoute": self.defaultRoute
        default: nil
        }
    }
}

extension BirdStatic: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": self.name
        case "comment": self.comment
        case "routes": self.routes
        default: nil
        }
    }
}

extension BirdStaticRoute: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "prefix": self.prefix
        case "comment": self.comment
        default: nil
        }
    }
}

extension BirdKernel: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "comment": self.comment
        default: nil
        }
    }
}

extension BirdSession: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": self.name
        case "comment": self.comment
        case "description": self.description
        case "localAddress": self.localAddress
        case "localAS": self.localAS
        case "neighborAddress": self.neighborAddress
        case "neighborAS": self.neighborAS
        case "connection": self.connection
        case "ttlSecurity": self.ttlSecurity
        case "rrClient": self.rrClient
        case "clusterID": self.clusterID
        case "localRole": self.localRole
        case "gracefulRestart": self.gracefulRestart
        case "holdTime": self.holdTime
        case "keepalive": self.keepalive
        case "password": self.password
        case "gatewayDirect": self.gatewayDirect
        case "nextHop": self.nextHop
        case "importLimit": self.importLimit
        case "importFilter": self.importFilter
        case "exportFilter": self.exportFilter
        default: nil
        }
    }
}
