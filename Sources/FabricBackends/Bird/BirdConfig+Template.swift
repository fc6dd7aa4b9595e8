// The names `bird/config.mustache` reads, one switch per view model: the
// renderer never reflects on or casts a value. Every stored property the
// template may name is listed; the golden files catch a missing one.

extension BirdConfig: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "header": header.templateValue
        case "secrets": secrets.templateValue
        case "routerID": routerID.templateValue
        case "prefixSets": prefixSets.templateValue
        case "staticRoutes": staticRoutes.templateValue
        case "kernel": kernel.templateValue
        case "bfd": bfd.templateValue
        case "clientFunction": clientFunction.templateValue
        case "defaultRouteFilter": defaultRouteFilter.templateValue
        case "exportToReflectors": exportToReflectors.templateValue
        case "exportToLeaves": exportToLeaves.templateValue
        case "upstreamFilters": upstreamFilters.templateValue
        case "meshFilter": meshFilter.templateValue
        case "sessions": sessions.templateValue
        default: nil
        }
    }
}

extension BirdPrefixSet: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "name": name.templateValue
        case "comment": comment.templateValue
        case "entries": entries.templateValue
        default: nil
        }
    }
}

extension BirdSetFilter: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "set": set.templateValue
        default: nil
        }
    }
}

extension BirdNamedSetFilter: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "name": name.templateValue
        case "comment": comment.templateValue
        case "set": set.templateValue
        default: nil
        }
    }
}

extension BirdMeshFilter: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "set": set.templateValue
        case "defaultRoute": defaultRoute.templateValue
        case "clusterID": clusterID.templateValue
        default: nil
        }
    }
}

extension BirdStatic: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "name": name.templateValue
        case "comment": comment.templateValue
        case "routes": routes.templateValue
        default: nil
        }
    }
}

extension BirdStaticRoute: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "prefix": prefix.templateValue
        case "comment": comment.templateValue
        default: nil
        }
    }
}

extension BirdBFD: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "interval": interval.templateValue
        case "multiplier": multiplier.templateValue
        case "detection": detection.templateValue
        default: nil
        }
    }
}

extension BirdKernel: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "comment": comment.templateValue
        case "learn": learn.templateValue
        case "bgp": bgp.templateValue
        case "blackholes": blackholes.templateValue
        case "exports": exports.templateValue
        default: nil
        }
    }
}

extension BirdSession: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "name": name.templateValue
        case "comment": comment.templateValue
        case "description": description.templateValue
        case "localAddress": localAddress.templateValue
        case "localAS": localAS.templateValue
        case "neighborAddress": neighborAddress.templateValue
        case "neighborAS": neighborAS.templateValue
        case "connection": connection.templateValue
        case "ttlSecurity": ttlSecurity.templateValue
        case "bfd": bfd.templateValue
        case "rrClient": rrClient.templateValue
        case "clusterID": clusterID.templateValue
        case "localRole": localRole.templateValue
        case "gracefulRestart": gracefulRestart.templateValue
        case "holdTime": holdTime.templateValue
        case "keepalive": keepalive.templateValue
        case "connectRetry": connectRetry.templateValue
        case "errorWait": errorWait.templateValue
        case "password": password.templateValue
        case "gatewayDirect": gatewayDirect.templateValue
        case "nextHop": nextHop.templateValue
        case "importLimit": importLimit.templateValue
        case "importFilter": importFilter.templateValue
        case "exportFilter": exportFilter.templateValue
        default: nil
        }
    }
}

extension BirdSecretsInclude: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "file": file.templateValue
        case "comment": comment.templateValue
        default: nil
        }
    }
}

extension BirdSecrets: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "header": header.templateValue
        case "constants": constants.templateValue
        default: nil
        }
    }
}

extension BirdSecretConstant: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "name": name.templateValue
        case "value": value.templateValue
        case "secret": secret.templateValue
        default: nil
        }
    }
}
