package org.elb.warmkeeper.spring.boot;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.elb.warmkeeper.testkit.contract.SettingsContract;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The starter's side of the settings table the runner passes too: Boot's binder, then {@link ElbSettings}. */
class ElbSettingsContractTest extends SettingsContract {

    @Override
    protected Side side() {
        return Side.STARTER;
    }

    @Override
    protected Optional<String> check(Map<String, String> properties) {
        ElbProperties bound = new Binder(new MapConfigurationPropertySource(properties))
                .bind("elb", Bindable.ofInstance(new ElbProperties()))
                .orElseGet(ElbProperties::new);
        try {
            ElbSettings.of(bound);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The keys {@link ElbProperties} binds, from its getters (as the configuration metadata lists them). */
    @Override
    protected Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        walk("elb.", ElbProperties.class, keys);
        return keys;
    }

    private static void walk(String prefix, Class<?> type, Set<String> keys) {
        PropertyDescriptor[] properties;
        try {
            properties = Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors();
        } catch (IntrospectionException e) {
            throw new IllegalStateException(e);
        }
        for (PropertyDescriptor p : properties) {
            String name = prefix + p.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            Class<?> t = p.getPropertyType();
            if (t == String.class
                    || t == boolean.class
                    || t == int.class
                    || t == Duration.class
                    || List.class.isAssignableFrom(t)) {
                keys.add(name);
            } else if (Map.class.isAssignableFrom(t)) {
                var value = ((ParameterizedType) p.getReadMethod().getGenericReturnType()).getActualTypeArguments()[1];
                if (value == String.class) {
                    keys.add(name + ".<service>");
                } else {
                    walk(name + ".<name>.", (Class<?>) value, keys);
                }
            } else {
                walk(name + ".", t, keys);
            }
        }
    }
}
