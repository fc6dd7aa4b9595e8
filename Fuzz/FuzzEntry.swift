// libFuzzer entry point for `scripts/fuzz`: the whole pipeline (load, parse,
// structure, expansion, IR, every check) and every renderer on one input.
// Not part of the package: scripts/fuzz compiles it with the library sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let provider = MemorySourceProvider(bytes: ["/f/main.fab": bytes], workingDirectory: "/f")
    let result = Driver.check("main.fab", provider: provider)
    _ = Driver.render([result], format: .rich, colors: false, errorLimit: 0)
    _ = Driver.render([result], format: .json, colors: false, errorLimit: 0)
    if let ir = result.ir { _ = ir.json(sources: result.sources) }
    _ = ASTDump.render(result.program.files, sources: result.sources)
    return 0
}
