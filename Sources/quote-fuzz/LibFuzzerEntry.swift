#if FUZZING
/// libFuzzer's entry point: one input per call. Built only with `-DFUZZING` (scripts/fuzz),
/// where libFuzzer supplies `main`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif
