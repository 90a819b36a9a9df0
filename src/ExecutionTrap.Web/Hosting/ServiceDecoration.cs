namespace ExecutionTrap.Web.Hosting;

/// <summary>Wraps what is already registered for a service, keeping each registration's lifetime.</summary>
internal static class ServiceDecoration
{
    /// <summary>Returns how many registrations were wrapped; registrations added later are not.</summary>
    public static int Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var wrapped = 0;
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(TService) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Describe(typeof(TService), sp => decorate(sp, Create<TService>(sp, descriptor)), descriptor.Lifetime);
            wrapped++;
        }

        return wrapped;
    }

    private static TService Create<TService>(IServiceProvider services, ServiceDescriptor descriptor)
        where TService : class =>
        (TService)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
